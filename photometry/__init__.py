"""Image measurement science for the journal's photos.

Pure numpy / scipy / OpenCV on pixels: colour (CIELAB, CIEDE2000), the
printable reference card and its detection, calibration of exposure and white
balance, pigment spots, the lighting check, registration of a photo to its
area's baseline and the quality gate. Nothing here imports Streamlit or SQLite,
and nothing here reads or writes files: callers pass images and get values.
"""
