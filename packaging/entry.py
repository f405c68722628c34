"""Entry script of the frozen build: the same `inspector-app` as the installed console script."""

from inspector_app.launcher import main

if __name__ == "__main__":
    raise SystemExit(main())
