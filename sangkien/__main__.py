from sangkien.cli import main

if __name__ == "__main__":  # not when a worker process of `build --all` re-imports the main module
    raise SystemExit(main())
