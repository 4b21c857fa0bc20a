// Public exports of src/audio/ (one line per module).
export {};
