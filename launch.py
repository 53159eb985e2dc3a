"""Start the Healing Journal server: `python launch.py [streamlit options]`.

Why not plain `streamlit run`: Streamlit treats a folder named `pages/` as
its old automatic page list until the entry script has run once, so a
bookmarked page opened first would appear without the app's frame. The
journal's pages are declared with `st.navigation` in journal_app.py; this
launcher switches the old behaviour off before the server starts.

It also refuses to listen on anything but this computer unless asked with
`--allow-remote` (see README, "Privacy").
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOCAL_ADDRESSES = {"127.0.0.1", "localhost", "::1"}


def _requested_address(args: list[str]) -> str | None:
    for index, arg in enumerate(args):
        if arg.startswith("--server.address="):
            return arg.split("=", 1)[1]
        if arg == "--server.address" and index + 1 < len(args):
            return args[index + 1]
    return None


def main(args: list[str]) -> int:
    allow_remote = "--allow-remote" in args
    args = [arg for arg in args if arg != "--allow-remote"]
    address = _requested_address(args)
    if address and address not in LOCAL_ADDRESSES:
        if not allow_remote:
            print(
                f"Refusing to listen on {address}: other computers could see your health photos. "
                "Add --allow-remote if you really mean it (see README, 'Privacy').",
                file=sys.stderr,
            )
            return 2
        os.environ["JOURNAL_ALLOW_REMOTE"] = "1"
    os.chdir(HERE)  # .streamlit/config.toml is read from the working folder
    sys.path.insert(0, str(HERE))
    from store.settings import Settings

    folder = Settings.from_environment().data_dir
    try:
        folder.mkdir(parents=True, exist_ok=True)
        print(f"Healing Journal keeps this journal in {folder}", flush=True)
    except OSError as exc:  # the app explains it on screen as well
        print(f"The journal folder {folder} cannot be created: {exc.strerror or exc}", file=sys.stderr)
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(HERE / "journal_app.py"), *args]
    cli.main()  # a click command: it exits the process itself
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
