// Placeholder entry point; the sandbox API issue replaces it with the `up`/`down` CLI.
return 0;
