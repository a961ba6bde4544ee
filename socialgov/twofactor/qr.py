"""The enrolment QR code as an inline <svg> element: no script, no style attribute, no data: URL,
so it renders under the site's Content-Security-Policy."""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.compat.etree import ET

QR_PIXELS = "224"


def device_secret(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an authenticator app by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def device_qr_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// URI as a QR code, labelled for screen readers."""
    image = qrcode.make(
        device.config_url,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    svg = image.get_image()
    svg.set("width", QR_PIXELS)
    svg.set("height", QR_PIXELS)
    svg.set("role", "img")
    svg.set("aria-label", "QR code to scan with your authenticator app")
    svg.set("focusable", "false")
    # Everything in the SVG is made here from the device's URI, so it is safe to insert as is.
    return mark_safe(ET.tostring(svg, encoding="unicode"))  # noqa: S308
