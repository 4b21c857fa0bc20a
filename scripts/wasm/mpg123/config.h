/* config.h for libmpg123 1.31.2 built for wasm32-wasi by scripts/build-mpg123-wasm.sh.
 * Written for this project (mpg123's configure is not run). The decoder settings are the defaults
 * configure picks (gapless on, frame index of 1000 entries, the new Huffman tables, accurate
 * rounding, IEEE floats, tables compiled in) with the portable C decoder (configure's
 * --with-cpu=generic_fpu: OPT_GENERIC, REAL_IS_FLOAT, given on the command line). Left out is what
 * a decoder of in-memory MPEG Layer III streams to float samples has no use for: Layers I and II,
 * integer output (the float synthesis stays: NO_SYNTH32 is not set, it would route float output
 * through the 16-bit synthesis), the equalizer, ntom resampling and down-sampling, ICY and ID3v2
 * parsing (tags are still skipped), string helpers, messages, and large-file wrappers (off_t is
 * 64 bits on wasm32-wasi). */
#ifndef MPG123_WASM_CONFIG_H
#define MPG123_WASM_CONFIG_H

#define PACKAGE "mpg123"
#define PACKAGE_NAME "mpg123"
#define PACKAGE_VERSION "1.31.2"
#define PACKAGE_STRING "mpg123 1.31.2"
#define VERSION "1.31.2"

#define STDC_HEADERS 1
#define HAVE_STDLIB_H 1
#define HAVE_STDIO_H 1
#define HAVE_STRING_H 1
#define HAVE_STRINGS_H 1
#define HAVE_STDINT_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_LIMITS_H 1
#define HAVE_UNISTD_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_ATOLL 1
#define HAVE_STRERROR 1

#define SIZEOF_INT32_T 4
#define SIZEOF_LONG 4
#define SIZEOF_OFF_T 8
#define SIZEOF_SIZE_T 4
#define SIZEOF_SSIZE_T 4
#define BUILD_NO_LARGENAME 1

#define IEEE_FLOAT 1
#define GAPLESS 1
#define FRAME_INDEX 1
#define INDEX_SIZE 1000
#define USE_NEW_HUFFTABLE 1
#define ACCURATE_ROUNDING 1
#define CCALIGN 1

#define NO_LAYER1 1
#define NO_LAYER2 1
#define NO_8BIT 1
#define NO_16BIT 1
#define NO_32BIT 1
#define NO_EQUALIZER 1
#define NO_NTOM 1
#define NO_DOWNSAMPLE 1
#define NO_ICY 1
#define NO_ID3V2 1
#define NO_STRING 1
#define NO_MOREINFO 1
#define NO_WARNING 1
#define NO_ERRORMSG 1
#define NO_ERETURN 1

/* wasi-libc's unistd.h makes lseek a function-like macro, which breaks libmpg123's reader struct
 * (a member named lseek): the header is included here, before any libmpg123 code, and the macro
 * dropped (the function stays declared; its include guard keeps later includes from redefining it). */
#include <unistd.h>
#undef lseek

#endif
