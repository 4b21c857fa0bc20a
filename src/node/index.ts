/**
 * helmholtz-ml/node: Node-only helpers (file loaders, worker pools, backend selection).
 * One line per module.
 */
export {};
