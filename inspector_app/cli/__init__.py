"""The `inspector-app` command line: thin wrappers over the services (a contract for office scripts)."""
