// Public exports of src/data/ (one line per module).
export {};
