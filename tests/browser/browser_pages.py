"""Helpers of the browser tests."""

import io


def decode_qr(png: bytes) -> str:
    """The text of the QR code in a PNG, read by a real decoder (ZXing's C++ port)."""
    import zxingcpp
    from PIL import Image

    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1, f"{len(found)} QR codes in the picture"
    return found[0].text


def serious_violations(page):
    """axe-core's serious and critical violations on the page as it is now: (rule, target) pairs."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (violation["id"], node["target"])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
        for node in violation["nodes"]
    ]
