"""Helpers of the browser tests."""

import io


def decode_qr(png: bytes) -> str:
    """The text of the QR code in a PNG, read by a real decoder (ZXing's C++ port)."""
    import zxingcpp
    from PIL import Image

    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1, f"{len(found)} QR codes in the picture"
    return found[0].text
