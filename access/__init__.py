"""Who may reach the journal server: the launch secret, the host check, the launch state.

- `policy`: the rules (secret, allowed hosts and origins, the browser cookie);
  pure functions, no I/O.
- `gate`: the ASGI middleware that applies them to every HTTP and WebSocket
  request, and sets the anti-framing headers on every response.
- `launch_state`: the 0600 file that lets `bash run.sh` re-show the link of
  a running server, the launch proof, and the port check.
- `serving`: the hand-over from launch.py to the server (what to print,
  whether to open a browser).
- `offline`: keeps Streamlit from ever looking up an outside host.
- `throttle`: the growing delay after wrong app-lock passphrases.

Nothing here imports Streamlit at module level except `serving`, which runs
inside the server.
"""
