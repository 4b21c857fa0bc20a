/*
 * WebAssembly glue around LAME 3.100's libmp3lame (compiled unmodified from Debian's source by
 * scripts/build-lame-wasm.sh) for src/audio/lame-wasm.ts.
 *
 * Memory: every allocation (LAME's and the caller's buffers) is a bump allocation from one arena
 * that starts at the aligned __heap_base; free() does nothing and the whole arena is dropped by
 * setup()/begin(). After setup() has run lame_init_params, the bytes [arena_base(), arena_top())
 * hold the complete encoder state (nothing else in memory changes during an encode except LAME's
 * constant tables, which every setup fills with the same values). The caller saves those bytes
 * and, for every clip of the same settings, writes them back and calls begin(top): the encoder is
 * then exactly as lame_init_params left it, without its cost, and memory never grows across clips.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <string.h>
#include "lame.h"

extern unsigned char __heap_base;

static uintptr_t arena_start;
static uintptr_t bump;

static uintptr_t base_address(void) {
  return ((uintptr_t)&__heap_base + 15) & ~(uintptr_t)15;
}

static void *take(size_t bytes) {
  uintptr_t at = (bump + 15) & ~(uintptr_t)15;
  uintptr_t end = at + bytes;
  if (bytes > 0x7fffffffu || end < at) return NULL;
  uintptr_t have = __builtin_wasm_memory_size(0) * 65536u;
  if (end > have) {
    size_t pages = (end - have + 65535u) / 65536u;
    if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) return NULL;
  }
  bump = end;
  return (void *)at;
}

/* The C library's allocator, replaced for LAME (and the few libc routines it calls). */
void *malloc(size_t bytes) { return take(bytes); }
void free(void *p) { (void)p; }
void *calloc(size_t n, size_t size) {
  if (size != 0 && n > (size_t)-1 / size) return NULL;
  void *p = take(n * size);
  if (p) memset(p, 0, n * size);
  return p;
}
void *realloc(void *p, size_t bytes) {
  /* Only used by libc routines LAME does not reach in this build; copies what it can. */
  void *q = take(bytes);
  if (q && p) memmove(q, p, bytes);
  return q;
}

static void quiet(const char *format, va_list ap) { (void)format; (void)ap; }

/** First byte of the arena. */
uintptr_t arena_base(void) { return base_address(); }

/** End of what has been allocated so far. */
uintptr_t arena_top(void) { return bump; }

/** Drops everything allocated after `top` (arena_top() of a saved state). */
void begin(uintptr_t top) { bump = top; }

/** Allocates `bytes` (16-byte aligned) from the arena; 0 when memory cannot grow. */
uintptr_t alloc(uint32_t bytes) { return (uintptr_t)take(bytes); }

/**
 * Drops the whole arena and sets up a fresh encoder as `lame -b B` does for a mono input at
 * `in_rate` Hz: CBR `bitrate` kbps, LAME's default quality and output rate, no ID3 or Xing tag.
 * Returns the encoder handle, or 0 when LAME refuses the settings.
 */
uintptr_t setup(int in_rate, int bitrate) {
  arena_start = base_address();
  bump = arena_start;
  lame_global_flags *gfp = lame_init();
  if (!gfp) return 0;
  lame_set_errorf(gfp, quiet);
  lame_set_debugf(gfp, quiet);
  lame_set_msgf(gfp, quiet);
  lame_set_num_channels(gfp, 1);
  lame_set_in_samplerate(gfp, in_rate);
  lame_set_brate(gfp, bitrate);
  lame_set_bWriteVbrTag(gfp, 0);
  lame_set_write_id3tag_automatic(gfp, 0);
  if (lame_init_params(gfp) < 0) return 0;
  return (uintptr_t)gfp;
}

/**
 * Encodes `n` mono samples at `pcm` (full scale +-1; scaled here by 32768 in place, so that a
 * 16-bit sample v/32768 reaches LAME as the same float as `lame`'s reading of v from a WAV file).
 * Writes at most `size` bytes at `out`; returns their count, or LAME's negative error code.
 */
int encode(uintptr_t gfp, float *pcm, int n, unsigned char *out, int size) {
  for (int i = 0; i < n; i++) pcm[i] *= 32768.0f;
  return lame_encode_buffer_float((lame_global_flags *)gfp, pcm, pcm, n, out, size);
}

/** Flushes the last frames (`lame_encode_flush`); returns the byte count or a negative code. */
int flush(uintptr_t gfp, unsigned char *out, int size) {
  return lame_encode_flush((lame_global_flags *)gfp, out, size);
}
