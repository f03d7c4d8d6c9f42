/** The fixture server lives in scripts/lib (the demo serves fixtures with it too); tests may import it from here. */
export * from '../../scripts/lib/fixture-server.js';
