/*
 * WebAssembly glue around libmpg123 1.31.2 (compiled from Debian's source, patches applied, by
 * scripts/build-mpg123-wasm.sh) for src/audio/mpg123-wasm.ts: decodes an MPEG Layer III stream
 * held in the module's memory to 32-bit float samples (start(), then run() until it is done).
 *
 * Every stream gets a new libmpg123 handle (mpg123_delete of the last one, then mpg123_new: a few
 * microseconds), so nothing of an earlier stream can reach it: libmpg123 keeps all decoder state
 * in the handle (its tables are constant, compiled in; layer3.c's one non-const static array is
 * never written). Reopening one handle would nearly do: mpg123_open_handle runs mpg123_close, whose
 * frame_reset (frame.c) zeroes the bit reservoir (bsspace, bitreservoir), the hybrid filter
 * overlap (hybrid_block, hybrid_blc), the polyphase synthesis buffers (rawbuffs, bo) and every
 * per-track field; but the handle's last error code and output format outlive it (the format only
 * decides whether MPG123_NEW_FORMAT is announced, the error code what a later generic error
 * reports).
 *
 * The stream is read through a seekable in-memory reader (as the mpg123 program reads a file), so
 * libmpg123 sees the stream's length, skips a trailing ID3v1 tag, and, where the first frame is a
 * LAME/Xing Info frame, removes the encoder delay and padding it records (MPG123_GAPLESS).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h> /* SEEK_SET, SEEK_CUR, SEEK_END */
#include <sys/types.h>
#include "mpg123.h"

/** Every sample rate of MPEG-1, MPEG-2 and MPEG-2.5 (all allowed for float output). */
static const long RATES[] = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000};

static mpg123_handle *handle;

/* The stream being decoded: bytes [0, in_size) of in_data, read from in_pos on. */
static unsigned char *in_data;
static size_t in_capacity;
static size_t in_size;
static size_t in_pos;

/*
 * Decoded samples (interleaved when there are two channels) are handed over in pieces of at most
 * OUT_CAPACITY floats, so that the module's memory stays bounded for long streams: 128 frames of
 * 1152 stereo samples (1.2 MB).
 */
#define FRAME_FLOATS (1152 * 2)
#define OUT_CAPACITY (FRAME_FLOATS * 128)
static float *out_data;

static int status;
static int out_channels;
static long out_rate;
static size_t error_position;

static ssize_t read_memory(void *io, void *to, size_t count) {
  (void)io;
  size_t rest = in_size - in_pos;
  size_t n = count < rest ? count : rest;
  memcpy(to, in_data + in_pos, n);
  in_pos += n;
  return (ssize_t)n;
}

static off_t seek_memory(void *io, off_t offset, int whence) {
  (void)io;
  off_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (off_t)in_pos : whence == SEEK_END ? (off_t)in_size : -1;
  if (base < 0) return -1;
  off_t at = base + offset;
  if (at < 0 || at > (off_t)in_size) return -1;
  in_pos = (size_t)at;
  return at;
}

/**
 * A new decoder handle: the portable C decoder, quiet, gapless (libmpg123's default), float
 * output only, reading the in-memory stream. Sets `*error` (0 or libmpg123's code).
 */
static mpg123_handle *new_handle(int *error) {
  mpg123_handle *h = mpg123_new("generic", error);
  if (!h) return NULL;
  int e = mpg123_param(h, MPG123_ADD_FLAGS, MPG123_QUIET, 0.0);
  if (e == MPG123_OK) e = mpg123_param(h, MPG123_REMOVE_FLAGS, MPG123_AUTO_RESAMPLE, 0.0);
  if (e == MPG123_OK) e = mpg123_format_none(h);
  for (size_t i = 0; e == MPG123_OK && i < sizeof RATES / sizeof RATES[0]; i++) {
    e = mpg123_format(h, RATES[i], MPG123_MONO | MPG123_STEREO, MPG123_ENC_FLOAT_32);
  }
  if (e == MPG123_OK) e = mpg123_replace_reader_handle(h, read_memory, seek_memory, NULL);
  if (e != MPG123_OK) {
    mpg123_delete(h);
    h = NULL;
  }
  *error = e;
  return h;
}

/** Allocates the output buffer; returns 0, or MPG123_OUT_OF_MEM. */
int setup(void) {
  out_data = malloc(OUT_CAPACITY * sizeof(float));
  return out_data ? MPG123_OK : MPG123_OUT_OF_MEM;
}

/** Room for a stream of `bytes` bytes, to be written there before start(bytes); 0 on failure. */
uintptr_t input(uint32_t bytes) {
  if (bytes > in_capacity) {
    unsigned char *grown = realloc(in_data, bytes);
    if (!grown) return 0;
    in_data = grown;
    in_capacity = bytes;
  }
  return (uintptr_t)in_data;
}

/** Ends the stream with `result` (libmpg123's detailed code where it returned a generic error). */
static void finish(int result) {
  if (result == MPG123_ERR && handle) {
    int detail = mpg123_errcode(handle);
    if (detail != MPG123_OK) result = detail;
  }
  status = result;
  if (result != MPG123_DONE) error_position = in_pos;
  if (handle) mpg123_close(handle);
}

/**
 * Opens the `bytes` bytes written at input() as a new stream (see the top of this file for why
 * nothing of an earlier stream survives). Returns get_status(): 0, or libmpg123's error code.
 */
int start(uint32_t bytes) {
  in_size = bytes < in_capacity ? bytes : in_capacity;
  in_pos = 0;
  out_channels = 0;
  out_rate = 0;
  error_position = 0;
  if (handle) mpg123_delete(handle);
  handle = new_handle(&status);
  if (status == MPG123_OK) status = mpg123_open_handle(handle, NULL);
  if (status != MPG123_OK) finish(status);
  return status;
}

/**
 * Reads the output format: float samples always, and after the first frame the same rate and
 * channel count. The first frame's channel count is then forced on the rest of the stream.
 */
static int check_format(void) {
  long rate;
  int channels, encoding;
  int result = mpg123_getformat(handle, &rate, &channels, &encoding);
  if (result != MPG123_OK) return result;
  if (encoding != MPG123_ENC_FLOAT_32) return MPG123_BAD_OUTFORMAT;
  if (out_channels != 0) return rate == out_rate && channels == out_channels ? MPG123_OK : MPG123_BAD_OUTFORMAT;
  out_channels = channels;
  out_rate = rate;
  long force = channels == 1 ? MPG123_MONO_MIX : MPG123_FORCE_STEREO;
  return mpg123_param(handle, MPG123_ADD_FLAGS, force, 0.0);
}

/**
 * Decodes frames of the open stream into output() until it is full or the stream ends; returns
 * the count of floats written. get_status() then says whether more follow (0), the stream ended
 * (MPG123_DONE) or libmpg123 reported an error (its code; error_at() gives the input byte reached).
 * The output keeps the channel count of the stream's first frame: should a later frame say
 * otherwise, libmpg123 mixes it down to mono or spreads it over both channels.
 */
uint32_t run(void) {
  size_t count = 0;
  while (status == MPG123_OK && count + FRAME_FLOATS <= OUT_CAPACITY) {
    off_t frame;
    unsigned char *audio;
    size_t size;
    int result = mpg123_decode_frame(handle, &frame, &audio, &size);
    /* libmpg123 announces a format only when it differs from the handle's last one, which may be
     * an earlier stream's: the first decoded frame's format is read in any case. */
    if (result == MPG123_NEW_FORMAT || (result == MPG123_OK && out_channels == 0)) {
      int announced = result == MPG123_NEW_FORMAT;
      result = check_format();
      if (result == MPG123_OK && announced) continue;
    }
    if (result != MPG123_OK) {
      finish(result);
      break;
    }
    size_t n = size / sizeof(float);
    if (n > FRAME_FLOATS) {
      finish(MPG123_ERR);
      break;
    }
    memcpy(out_data + count, audio, n * sizeof(float));
    count += n;
  }
  return (uint32_t)count;
}

/** 0 while the open stream has more to decode, MPG123_DONE at its end, else the error code. */
int get_status(void) { return status; }

/** Where run() writes the decoded samples (interleaved for two channels). */
uintptr_t output(void) { return (uintptr_t)out_data; }

/** Channels of the output (1 or 2; 0 until a frame was decoded). */
int channels(void) { return out_channels; }

/** Sample rate of the output in Hz (0 until a frame was decoded). */
int rate(void) { return (int)out_rate; }

/** Input byte the reader had reached when the stream failed. */
uint32_t error_at(void) { return (uint32_t)error_position; }

/** libmpg123's text for an error code (a NUL-terminated string in the module's memory). */
uintptr_t error_text(int code) { return (uintptr_t)mpg123_plain_strerror(code); }

/*
 * libmpg123's stream reader closes a file descriptor it opened itself with compat_close, from
 * src/compat/compat.c, which is not built (its file and directory routines have no use here). This
 * module never opens a descriptor (every stream comes through the in-memory reader above), so the
 * call is never reached.
 */
int INT123_compat_close(int fd) {
  (void)fd;
  return -1;
}
