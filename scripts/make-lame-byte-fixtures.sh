#!/bin/sh
# Writes test/fixtures/mp3/bytes-chords-<B>k.mp3: Debian's `lame -t -b B` 3.100 (no Xing/LAME tag)
# of the first 0.2 s (8820 samples) of test/fixtures/mp3/chords.s16 as a 44.1 kHz mono WAV, for
# B in 8 32 64 128 320. test/audio/mp3-bytes.test.ts asserts that encodeMp3 writes these bytes.
# Needs Debian's lame 3.100 (apt-get install -y lame). Usage: sh scripts/make-lame-byte-fixtures.sh
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bytes=17640
le32() { printf "\\$(printf %03o $(($1 & 255)))\\$(printf %03o $((($1 >> 8) & 255)))\\$(printf %03o $((($1 >> 16) & 255)))\\$(printf %03o $((($1 >> 24) & 255)))"; }
{
  printf 'RIFF'; le32 $((36 + bytes)); printf 'WAVEfmt '; le32 16
  printf '\001\000\001\000'; le32 44100; le32 88200; printf '\002\000\020\000'
  printf 'data'; le32 $bytes
  head -c $bytes test/fixtures/mp3/chords.s16
} > "$tmp/in.wav"
for b in 8 32 64 128 320; do
  lame --quiet -t -b "$b" "$tmp/in.wav" "test/fixtures/mp3/bytes-chords-${b}k.mp3"
done
ls -l test/fixtures/mp3/bytes-chords-*k.mp3
