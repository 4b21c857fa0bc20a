#!/usr/bin/python3
"""Writes the reference decodes of the decoder fidelity test (test/audio/mpg123-fidelity.test.ts):
Debian's `mpg123 -q -w out.wav` (mpg123 1.31.2, 16-bit output) of CLI-made streams in
test/fixtures/mp3/, as raw signed 16-bit little-endian PCM (interleaved for stereo) next to them
(NAME.mpg123.s16). The streams: chords-128k-cli.mp3 and chords-8k-cli.mp3 (made by
make-mp3-fixtures.py) and stereo-128k-cli.mp3, made here: `lame --quiet -b 128` (joint stereo) of
the first 0.5 s of chords.s16 (left) and speech.s16 (right).

Needs: Debian's mpg123 1.31.2 (the program whose decode decodeMp3 is checked against), lame 3.100.
Usage: /usr/bin/python3 scripts/make-mpg123-fixtures.py  (from the repository root)
"""
import os
import subprocess
import tempfile
import wave

OUT = os.path.join('test', 'fixtures', 'mp3')
STREAMS = ['chords-128k-cli', 'chords-8k-cli', 'stereo-128k-cli']
RATE = 44100
STEREO_SAMPLES = RATE // 2


def make_stereo_stream(tmp):
    """stereo-128k-cli.mp3: lame -b 128 of 0.5 s of two fixture clips as left and right."""
    channels = []
    for clip in ['chords', 'speech']:
        with open(os.path.join(OUT, clip + '.s16'), 'rb') as f:
            channels.append(f.read(2 * STEREO_SAMPLES))
    interleaved = bytearray()
    for i in range(0, 2 * STEREO_SAMPLES, 2):
        interleaved += channels[0][i:i + 2] + channels[1][i:i + 2]
    wav = os.path.join(tmp, 'stereo.wav')
    with wave.open(wav, 'wb') as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(interleaved))
    subprocess.run(['lame', '--quiet', '-b', '128', wav, os.path.join(OUT, 'stereo-128k-cli.mp3')], check=True)


def main():
    version = subprocess.run(['mpg123', '--version'], capture_output=True, text=True, check=True).stdout
    assert version.startswith('mpg123 1.31.2'), version
    with tempfile.TemporaryDirectory() as tmp:
        make_stereo_stream(tmp)
        for name in STREAMS:
            wav = os.path.join(tmp, name + '.wav')
            subprocess.run(['mpg123', '-q', '-w', wav, os.path.join(OUT, name + '.mp3')], check=True)
            with wave.open(wav) as w:
                assert w.getsampwidth() == 2, (name, w.getparams())
                frames = w.readframes(w.getnframes())
                rate = w.getframerate()
                channels = w.getnchannels()
            with open(os.path.join(OUT, name + '.mpg123.s16'), 'wb') as f:
                f.write(frames)
            print(f'{name}: {len(frames) // (2 * channels)} samples x {channels} channels at {rate} Hz')


if __name__ == '__main__':
    main()
