"""What the tests and the benchmarks both start: the app in a subprocess on a free port
(`app_server`), replicas behind Debian's nginx (`nginx_server`), hostile input files
(`hostile`).  Not part of the product; importable once the project is installed
(`pip install -e .`, which scripts/_venv.sh does) or from the project root."""
