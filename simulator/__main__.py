"""Command line of the SIMULATOR: python -m simulator --port 8001 --latency 2 ..."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict

from .server import BANNER, SimOptions, create_app, parse_latency


def build_parser() -> argparse.ArgumentParser:
    """Options mirror SimOptions."""
    p = argparse.ArgumentParser(prog="python -m simulator", description=BANNER)
    p.add_argument("--host", default="127.0.0.1", help="address (loopback by default)")
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--latency", default="0.5",
                   help="seconds per answer: 2, uniform:1,3, normal:2,0.5 or exp:2")
    p.add_argument("--max-concurrency", type=int, default=0, help="0 = unlimited")
    p.add_argument("--over-capacity", choices=["429", "queue"], default="429",
                   help="beyond --max-concurrency: answer 429 or queue the request")
    p.add_argument("--rpm", type=int, default=0, help="requests per minute (429 beyond)")
    p.add_argument("--rpm-window", type=float, default=60.0, help="seconds of the RPM window")
    p.add_argument("--fail-500", type=float, default=0.0, help="rate of 500 answers")
    p.add_argument("--timeout-rate", type=float, default=0.0, help="rate of answers never sent")
    p.add_argument("--drop-rate", type=float, default=0.0, help="rate of dropped connections")
    p.add_argument("--malformed", type=float, default=0.0, help="rate of invalid JSON answers")
    p.add_argument("--truncated", type=float, default=0.0, help="rate of cut-off answers")
    p.add_argument("--no-json-schema", action="store_true",
                   help="reject response_format json_schema with a 400 (like older servers)")
    p.add_argument("--require-key", default="", help="answer 401 unless this key is sent")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--access-log", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the simulator until interrupted."""
    import uvicorn

    args = build_parser().parse_args(argv)
    try:
        parse_latency(args.latency)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    opts = SimOptions(latency=args.latency, max_concurrency=args.max_concurrency,
                      over_capacity=args.over_capacity, rpm=args.rpm, rpm_window=args.rpm_window,
                      fail_500=args.fail_500, timeout_rate=args.timeout_rate,
                      drop_rate=args.drop_rate, malformed=args.malformed,
                      truncated=args.truncated, json_schema=not args.no_json_schema,
                      require_key=args.require_key, seed=args.seed)
    shown = {k: v for k, v in asdict(opts).items() if k != "require_key"}
    print(f"{BANNER}\nlistening on http://{args.host}:{args.port}/v1  options: {shown}\n"
          f"stats: GET http://{args.host}:{args.port}/stats", flush=True)
    uvicorn.run(create_app(opts), host=args.host, port=args.port, log_level="warning",
                access_log=args.access_log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
