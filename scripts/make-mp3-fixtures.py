#!/usr/bin/python3
"""Regenerates test/fixtures/mp3/: 2 s mono 44.1 kHz clips (speech, chords, plucked notes, noisy
plucked notes) as 16-bit little-endian raw PCM, and the SNR of Debian's `lame -b B` + `mpg123 -w`
round trip against each clip, for B in 8, 16, 32, 64, 96, 128, 160 kbps.

The CLI round trip is given the best alignment we can find: the decoded stream (at LAME's output
rate) is cross-correlated with the input resampled to that rate, the best integer lag is cut, the
result is brought back to 44.1 kHz with scipy's zero-phase polyphase resampler (resample_poly,
Kaiser window), and the best integer lag within +-4 samples at 44.1 kHz is kept.

Needs: Debian lame 3.100, mpg123, espeak-ng, sox, python3-numpy, python3-scipy.
Usage: /usr/bin/python3 scripts/make-mp3-fixtures.py  (from the repository root)
"""
import json
import os
import subprocess
import tempfile
import wave
from math import gcd

import numpy as np
from scipy.signal import resample_poly

RATE = 44100
SECONDS = 2
N = RATE * SECONDS
BITRATES = [8, 16, 32, 64, 96, 128, 160]
OUT = os.path.join('test', 'fixtures', 'mp3')


def read_wav(path):
    with wave.open(path) as w:
        assert w.getsampwidth() == 2, path
        rate = w.getframerate()
        ch = w.getnchannels()
        data = np.frombuffer(w.readframes(w.getnframes()), dtype='<i2').astype(np.float64) / 32768
    if ch == 2:
        data = data.reshape(-1, 2)[:, 0]
    return data, rate


def write_wav(path, pcm16, rate=RATE):
    with wave.open(path, 'wb') as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm16.astype('<i2').tobytes())


def to_pcm16(x, peak=0.8):
    x = x / np.max(np.abs(x)) * peak
    return np.clip(np.round(x * 32768), -32768, 32767).astype(np.int16)


def fit_length(x):
    out = np.zeros(N)
    out[:min(N, len(x))] = x[:N]
    return out


def speech(tmp):
    raw = os.path.join(tmp, 'speech22.wav')
    up = os.path.join(tmp, 'speech44.wav')
    subprocess.run(['espeak-ng', '-v', 'en-us', '-s', '190', '-w', raw,
                    'The quick brown fox jumps over the lazy dog.'], check=True)
    subprocess.run(['sox', raw, '-r', str(RATE), '-b', '16', up, 'rate', '-v'], check=True)
    x, rate = read_wav(up)
    assert rate == RATE
    return fit_length(x)


def envelope(n, attack=0.01, decay=3.0):
    t = np.arange(n) / RATE
    return np.minimum(t / attack, 1.0) * np.exp(-decay * t)


def chords():
    # I - vi - IV - V in C major, 0.5 s each, 6 harmonics with 1/k amplitudes.
    roots = [[261.63, 329.63, 392.00], [220.00, 261.63, 329.63], [174.61, 220.00, 261.63], [196.00, 246.94, 293.66]]
    seg = N // 4
    t = np.arange(seg) / RATE
    out = np.zeros(N)
    for i, chord in enumerate(roots):
        s = np.zeros(seg)
        for f in chord:
            for k in range(1, 7):
                if k * f < RATE / 2:
                    s += np.sin(2 * np.pi * k * f * t + 0.3 * k) / k
        out[i * seg:(i + 1) * seg] = s * envelope(seg, 0.005, 2.0)
    return out


def plucked(rng):
    # Karplus-Strong plucked strings (guitar-like notes, as in IDMT-SMT-Audio-Effects).
    notes = [82.41, 110.00, 146.83, 196.00, 246.94, 329.63]
    out = np.zeros(N)
    step = N // len(notes)
    for i, f in enumerate(notes):
        period = int(round(RATE / f))
        buf = rng.uniform(-1, 1, period)
        length = N - i * step
        y = np.zeros(length)
        for j in range(length):
            y[j] = buf[j % period]
            buf[j % period] = 0.996 * 0.5 * (buf[j % period] + buf[(j + 1) % period])
        out[i * step:] += y
    return out


def noisy(rng, clean):
    noise = rng.standard_normal(N)
    noise *= np.sqrt(np.mean(clean ** 2) / np.mean(noise ** 2)) / np.sqrt(10)  # 10 dB SNR white noise
    return clean + noise


def snr_db(ref, test):
    return 10 * np.log10(np.sum(ref ** 2) / np.sum((ref - test) ** 2))


def resample(x, src, dst):
    g = gcd(src, dst)
    return resample_poly(x, dst // g, src // g)


def cli_round_trip(pcm16, bitrate, tmp):
    inp = os.path.join(tmp, 'in.wav')
    mp3 = os.path.join(tmp, 'o.mp3')
    dec = os.path.join(tmp, 'o.wav')
    write_wav(inp, pcm16)
    subprocess.run(['lame', '--quiet', '-b', str(bitrate), inp, mp3], check=True)
    subprocess.run(['mpg123', '-q', '-w', dec, mp3], check=True)
    y, rate = read_wav(dec)
    x = pcm16.astype(np.float64) / 32768
    # Best integer lag at the stream rate (the CLI leaves the codec delay where no LAME tag fits).
    xr = resample(x, RATE, rate) if rate != RATE else x
    m = len(xr)
    size = 1 << int(np.ceil(np.log2(len(y) + m)))
    corr = np.fft.irfft(np.fft.rfft(y, size) * np.conj(np.fft.rfft(xr, size)), size)
    max_lag = 3000
    lags = np.r_[0:max_lag + 1]
    lag = int(lags[np.argmax(corr[lags])])
    y = y[lag:]
    back = resample(y, rate, RATE) if rate != RATE else y
    back = np.concatenate([back, np.zeros(max(0, N + 8 - len(back)))])
    best = -np.inf
    best_shift = 0
    for shift in range(-4, 5):
        seg = np.zeros(N)
        if shift >= 0:
            seg[:] = back[shift:shift + N]
        else:
            seg[-shift:] = back[:N + shift]
        s = snr_db(x, seg)
        if s > best:
            best, best_shift = s, shift
    return {'snrDb': round(float(best), 3), 'streamRate': rate, 'lagAtStreamRate': lag, 'shiftAt44k': best_shift,
            'mp3Bytes': os.path.getsize(mp3)}


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20180101)
    with tempfile.TemporaryDirectory() as tmp:
        pluck = fit_length(plucked(rng))
        signals = {
            'speech': speech(tmp),
            'chords': chords(),
            'plucked': pluck,
            'noisy': noisy(rng, pluck / np.max(np.abs(pluck))),
        }
        reference = {
            'sampleRate': RATE,
            'length': N,
            'format': 'int16 little-endian raw mono; sample = value / 32768',
            'pipeline': 'lame --quiet -b B in.wav o.mp3 && mpg123 -q -w o.wav o.mp3; best-aligned, scipy resample_poly back to 44.1 kHz',
            'lame': subprocess.run(['lame', '--version'], capture_output=True, text=True).stdout.splitlines()[0],
            'mpg123': subprocess.run(['mpg123', '--version'], capture_output=True, text=True).stdout.strip(),
            'signals': {},
        }
        for name, x in signals.items():
            pcm16 = to_pcm16(x)
            pcm16.astype('<i2').tofile(os.path.join(OUT, f'{name}.s16'))
            rows = {}
            for b in BITRATES:
                rows[str(b)] = cli_round_trip(pcm16, b, tmp)
                print(name, b, rows[str(b)])
            reference['signals'][name] = rows
        # Two CLI-made files for decoder tests: one with a LAME/Xing tag (gapless), one without.
        write_wav(os.path.join(tmp, 'in.wav'), to_pcm16(signals['chords']))
        subprocess.run(['lame', '--quiet', '-b', '128', os.path.join(tmp, 'in.wav'), os.path.join(OUT, 'chords-128k-cli.mp3')], check=True)
        subprocess.run(['lame', '--quiet', '-b', '8', os.path.join(tmp, 'in.wav'), os.path.join(OUT, 'chords-8k-cli.mp3')], check=True)
    with open(os.path.join(OUT, 'cli-reference.json'), 'w') as f:
        json.dump(reference, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
