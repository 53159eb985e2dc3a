"""Today's page on the patient's phone: a second, small listener beside the journal.

The journal itself listens on 127.0.0.1 only. A phone reaches the computer
only by its network address, and a phone's browser gives the camera and
keeps a credential safely only over HTTPS, so phone access is a separate
HTTPS listener on that one address (never every interface), off until the
patient turns it on, serving a few server-rendered pages and nothing of the
journal's own (no Streamlit page, /media, WebSocket or export).

- `certificate`: the per-install key (0600) and the certificate for the
  chosen address; its fingerprint is what the patient compares.
- `addresses`: which network address of this computer a phone can reach.
- `pairing`: one-time pairing codes (10 minutes, used once), slowed wrong tries.
- `devices`: the paired phones, their credentials stored only as SHA-256 hashes.
- `pages`: the HTML the phone sees (plain forms, no script).
- `app`: the Starlette app: Host check, pairing, today's page, Save.
- `listener`: the uvicorn server in a background thread, on and off.
- `qr`: the pairing link as a QR code (PNG for the page, text for the terminal).

Nothing here imports Streamlit; the computer's pages (ui.phone_access) call in.
"""
