/** The `helmholtz-ml` command line. */
console.log('helmholtz-ml: CLI under construction');
