#!/usr/bin/python3
"""Reference mel spectrograms from librosa 0.10.0 itself, for signals and settings that the shared
fixtures do not cover (speech, chords, 16/22.05/48 kHz, other FFT sizes, hops and mel counts,
HTK scale, no norm, power 1, short windows, uncentred frames, clips shorter than one frame,
numpy's iterative reflect padding).

librosa is not packaged in Debian and PyPI is out of reach here, so this script runs librosa
0.10.0's own source tree with Debian's numpy 1.24 / scipy 1.10 (apt: python3-numpy python3-scipy
python3-numba python3-soundfile python3-audioread python3-lazy-loader python3-decorator
python3-joblib python3-sklearn python3-pooch python3-msgpack). Get the tree with
    git clone --depth 1 --branch 0.10.0 https://github.com/librosa/librosa /tmp/librosa-0.10.0
and point LIBROSA_SRC at it (default /tmp/librosa-0.10.0), or set LIBROSA_GIT to any local clone
(bare is fine) and the script extracts tag 0.10.0 into LIBROSA_SRC. librosa imports `soxr` (resampling
only) at import time; a stub module stands in for it, nothing here resamples with librosa.

Usage:
    /usr/bin/python3 scripts/make-mel-fixtures.py            # writes test/fixtures/librosa/generated/
    /usr/bin/python3 scripts/make-mel-fixtures.py --check    # also re-checks the shared fixtures
    /usr/bin/python3 scripts/make-mel-fixtures.py --random DIR   # 60 random settings into DIR (not
        # committed), checked by `npx tsx scripts/mel-fidelity.ts --random DIR`
    /usr/bin/python3 scripts/make-mel-fixtures.py --bench [seconds]
        # prints librosa's clips/s for the bench clip (2 s at 44.1 kHz, 96 mels, amplitude_to_db):
        # 'cpu N' per CPU second, then the last line per wall-clock second (bench/mel.bench.ts reads both)

Speech comes from `espeak-ng -w` (22.05 kHz), resampled with scipy's resample_poly for the other
rates; chords and noise are synthesised with a fixed seed. Every file is float32 little-endian,
row-major; cases.json lists each case's options under our API's names.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import types

import numpy as np
import scipy.io.wavfile
import scipy.signal

LIBROSA_SRC = os.environ.get('LIBROSA_SRC', '/tmp/librosa-0.10.0')
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'test', 'fixtures', 'librosa', 'generated')
SHARED = os.path.join(HERE, '..', '..', 'shared', 'fixtures', 'librosa')


def import_librosa():
    git_dir = os.environ.get('LIBROSA_GIT')
    if not os.path.isdir(os.path.join(LIBROSA_SRC, 'librosa')) and git_dir:
        # Extract tag 0.10.0 from a local clone (or bare mirror) of librosa.
        os.makedirs(LIBROSA_SRC, exist_ok=True)
        archive = subprocess.run(['git', '-C', git_dir, 'archive', '0.10.0'], check=True, capture_output=True).stdout
        subprocess.run(['tar', '-x', '-C', LIBROSA_SRC], input=archive, check=True)
    if not os.path.isdir(os.path.join(LIBROSA_SRC, 'librosa')):
        sys.exit(f'librosa 0.10.0 source not found at {LIBROSA_SRC} (set LIBROSA_SRC, or LIBROSA_GIT to a clone; see the docstring)')
    sys.path.insert(0, LIBROSA_SRC)
    stub = types.ModuleType('soxr')
    stub.__version__ = '0 (stub: resampling unavailable)'
    sys.modules.setdefault('soxr', stub)
    import warnings
    warnings.filterwarnings('ignore', message='n_fft=.*is too large')
    warnings.filterwarnings('ignore', message='Empty filters detected')
    import librosa
    assert librosa.__version__ == '0.10.0', librosa.__version__
    return librosa


def speech(sample_rate, seconds, text='The quick brown fox jumps over the lazy dog near the river bank'):
    with tempfile.TemporaryDirectory() as d:
        wav = os.path.join(d, 'speech.wav')
        subprocess.run(['espeak-ng', '-w', wav, text], check=True)
        sr, x = scipy.io.wavfile.read(wav)
    y = x.astype(np.float64) / 32768.0
    if sample_rate != sr:
        g = np.gcd(sample_rate, sr)
        y = scipy.signal.resample_poly(y, sample_rate // g, sr // g)
    # Skip espeak's leading silence, keep `seconds`.
    start = int(np.argmax(np.abs(y) > 0.01))
    return y[start:start + int(round(seconds * sample_rate))].astype(np.float32)


def chord(sample_rate, seconds, root=261.63, seed=1):
    rng = np.random.default_rng(seed)
    t = np.arange(int(round(seconds * sample_rate))) / sample_rate
    y = np.zeros_like(t)
    for ratio in (1.0, 1.25992, 1.49831, 2.0):  # C E G C'
        f = root * ratio
        for h in range(1, 8):
            if f * h < sample_rate / 2:
                y += (0.3 / h) * np.sin(2 * np.pi * f * h * t + rng.uniform(0, 2 * np.pi)) * np.exp(-t * (2 + h))
    y += 1e-3 * rng.standard_normal(len(t))
    return (0.5 * y / np.max(np.abs(y))).astype(np.float32)


def noise(sample_rate, seconds, seed=2):
    rng = np.random.default_rng(seed)
    return (0.1 * rng.standard_normal(int(round(seconds * sample_rate)))).astype(np.float32)


def cases():
    s22 = speech(22050, 0.75)
    return [
        ('speech_22k', s22, dict(sampleRate=22050, nFft=1024, hopLength=256, nMels=64)),
        ('speech_16k_whisper', speech(16000, 0.75), dict(sampleRate=16000, nFft=400, hopLength=160, nMels=80)),
        ('speech_48k_power1_win', speech(48000, 0.3),
         dict(sampleRate=48000, nFft=2048, hopLength=480, winLength=1500, nMels=96, power=1.0)),
        ('speech_16k_nocenter', speech(16000, 0.5), dict(sampleRate=16000, nFft=512, hopLength=160, nMels=40, center=False)),
        ('chord_48k_reflect', chord(48000, 0.3), dict(sampleRate=48000, nFft=4096, hopLength=1024, nMels=128, padMode='reflect')),
        ('chord_44k_htk_nonorm', chord(44100, 0.3, root=196.0),
         dict(sampleRate=44100, nFft=2048, hopLength=512, nMels=40, fMin=50.0, fMax=8000.0, htk=True, norm=None)),
        ('chord_22k_odd_nfft', chord(22050, 0.25, root=220.0), dict(sampleRate=22050, nFft=511, hopLength=128, nMels=48)),
        ('noise_48k_band', noise(48000, 0.25), dict(sampleRate=48000, nFft=1024, hopLength=300, nMels=48, fMin=300.0, fMax=12000.0)),
        ('short_reflect_16k', speech(16000, 300 / 16000), dict(sampleRate=16000, nFft=2048, hopLength=512, nMels=64, padMode='reflect')),
        ('short_constant_22k', chord(22050, 700 / 22050), dict(sampleRate=22050, nFft=1024, hopLength=256, nMels=64)),
        ('one_sample_reflect', np.array([0.25], dtype=np.float32), dict(sampleRate=16000, nFft=512, hopLength=128, nMels=32, padMode='reflect')),
        ('bighop_reflect_16k', speech(16000, 2000 / 16000), dict(sampleRate=16000, nFft=512, hopLength=400, nMels=40, padMode='reflect')),
    ]


def librosa_mel(librosa, y, o):
    return librosa.feature.melspectrogram(
        y=y, sr=o['sampleRate'], n_fft=o.get('nFft', 2048), hop_length=o.get('hopLength', 512),
        win_length=o.get('winLength'), window='hann', center=o.get('center', True),
        pad_mode=o.get('padMode', 'constant'), power=o.get('power', 2.0), n_mels=o.get('nMels', 128),
        fmin=o.get('fMin', 0.0), fmax=o.get('fMax'), htk=o.get('htk', False), norm=o.get('norm', 'slaney'))


def write(name, array):
    np.asarray(array, dtype='<f4').tofile(os.path.join(OUT, name))


def generate(librosa):
    os.makedirs(OUT, exist_ok=True)
    listing = []
    for name, y, o in cases():
        S = librosa_mel(librosa, y, o)
        assert S.dtype == np.float32
        write(f'{name}.input.f32', y)
        write(f'{name}.mel.f32', S)
        write(f'{name}.amp_db.f32', librosa.amplitude_to_db(S))
        write(f'{name}.pow_db.f32', librosa.power_to_db(S))
        listing.append(dict(name=name, samples=int(len(y)), shape=list(S.shape), options=o))
        print(f'{name}: {len(y)} samples -> {S.shape}')
    # Filterbanks of other settings, as librosa.filters.mel.
    banks = [
        dict(sampleRate=16000, nFft=400, nMels=80),
        dict(sampleRate=22050, nFft=512, nMels=64, fMin=20.0, fMax=8000.0, htk=True, norm=None),
        dict(sampleRate=48000, nFft=256, nMels=64),  # more mels than bins resolve: empty rows
    ]
    bank_listing = []
    for i, b in enumerate(banks):
        W = librosa.filters.mel(sr=b['sampleRate'], n_fft=b['nFft'], n_mels=b['nMels'], fmin=b.get('fMin', 0.0),
                                fmax=b.get('fMax'), htk=b.get('htk', False), norm=b.get('norm', 'slaney'))
        fname = f'melbasis_{i}.f32'
        write(fname, W)
        bank_listing.append(dict(file=fname, shape=list(W.shape), options=b))
    with open(os.path.join(OUT, 'cases.json'), 'w') as f:
        json.dump(dict(reference=f'librosa {librosa.__version__} run from source with numpy {np.__version__}, '
                                 f'scipy {scipy.__version__}; made by scripts/make-mel-fixtures.py',
                       cases=listing, melBases=bank_listing), f, indent=1)


def check_shared(librosa):
    with open(os.path.join(SHARED, 'cases.json')) as f:
        spec = json.load(f)
    for c in spec['cases']:
        y = np.fromfile(os.path.join(SHARED, c['name'] + '.input.f32'), dtype='<f4')
        S = librosa.feature.melspectrogram(y=y, sr=c['sampleRate'], n_fft=c['nFft'], hop_length=c['hopLength'],
                                           n_mels=c['nMels'], pad_mode=c['padMode'])
        ref = np.fromfile(os.path.join(SHARED, c['name'] + '.mel.f32'), dtype='<f4').reshape(S.shape)
        big = ref > 1e-6 * max(ref.max(), 1e-30)
        rel = np.max(np.abs(S - ref)[big] / ref[big]) if big.any() else 0.0
        print(f"shared {c['name']}: max rel diff of this run vs shared fixture {rel:.2e}")


def bench(librosa, seconds):
    y = chord(44100, 2.0)
    def once():
        S = librosa.feature.melspectrogram(y=y, sr=44100, n_fft=2048, hop_length=512, n_mels=96)
        return librosa.amplitude_to_db(S)
    for _ in range(5):
        once()
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < seconds:
        once()
        n += 1
    print('cpu', n / (time.process_time() - c0))  # clips per CPU second (all threads)
    print(n / (time.perf_counter() - t0))  # clips per wall-clock second


def random_cases(librosa, out, n=60):
    """Random settings and signals (not committed): librosa's outputs into `out` for
    `npx tsx scripts/mel-fidelity.ts --random out`."""
    import warnings
    warnings.filterwarnings('ignore')
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(7)
    cases = []
    for i in range(n):
        sr = int(rng.choice([8000, 11025, 16000, 22050, 32000, 44100, 48000]))
        nfft = int(rng.choice([16, 64, 100, 256, 400, 511, 512, 1000, 1024, 2048, 4096]))
        hop = int(max(1, rng.choice([nfft // 4, nfft // 2, nfft, nfft + 37, 1 + nfft // 3, 7])))
        nmels = int(rng.integers(1, 130))
        length = int(rng.choice([1, 2, 5, 50, 300, nfft // 2, nfft - 1, nfft, nfft + 1, 3000, 20000]))
        length = max(1, length)
        center = bool(rng.random() < 0.85)
        if not center and length < nfft: length = nfft + int(rng.integers(0, 3000))
        pad = str(rng.choice(['constant', 'reflect']))
        power = float(rng.choice([1.0, 2.0, 2.0, 1.5]))
        htk = bool(rng.random() < 0.25); norm = None if rng.random() < 0.2 else 'slaney'
        fmax = float(sr / 2 if rng.random() < 0.6 else rng.uniform(sr / 8, sr / 2))
        fmin = float(0 if rng.random() < 0.6 else rng.uniform(0, fmax / 2))
        win = int(nfft if rng.random() < 0.7 else rng.integers(max(1, nfft // 2), nfft + 1))
        kind = rng.integers(0, 3)
        t = np.arange(length) / sr
        if kind == 0: y = rng.standard_normal(length) * 0.1
        elif kind == 1: y = sum(np.sin(2*np.pi*f*t) for f in rng.uniform(50, sr/2.5, 3)) * np.exp(-3*t)
        else: y = np.sin(2*np.pi*440*t) * (t < t.max()/2 if length > 1 else 1) * 1e-3
        y = np.asarray(y, dtype=np.float32)
        try:
            S = librosa.feature.melspectrogram(y=y, sr=sr, n_fft=nfft, hop_length=hop, win_length=win, center=center, pad_mode=pad, power=power, n_mels=nmels, fmin=fmin, fmax=fmax, htk=htk, norm=norm)
        except Exception as e:
            print('skip', i, e); continue
        y.astype('<f4').tofile(f'{out}/{i}.in'); S.astype('<f4').tofile(f'{out}/{i}.mel')
        librosa.amplitude_to_db(S).astype('<f4').tofile(f'{out}/{i}.amp'); librosa.power_to_db(S).astype('<f4').tofile(f'{out}/{i}.pow')
        cases.append(dict(i=i, shape=list(S.shape), o=dict(sampleRate=sr, nFft=nfft, hopLength=hop, winLength=win, center=center, padMode=pad, power=power, nMels=nmels, fMin=fmin, fMax=fmax, htk=htk, norm=norm)))

    with open(os.path.join(out, 'cases.json'), 'w') as f:
        json.dump(cases, f)
    print(f'{len(cases)} random cases in {out}')


if __name__ == '__main__':
    lib = import_librosa()
    if '--random' in sys.argv:
        random_cases(lib, sys.argv[sys.argv.index('--random') + 1])
    elif '--bench' in sys.argv:
        i = sys.argv.index('--bench')
        bench(lib, float(sys.argv[i + 1]) if len(sys.argv) > i + 1 else 3.0)
    else:
        if '--check' in sys.argv:
            check_shared(lib)
        generate(lib)
