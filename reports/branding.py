"""Consultant branding for reports: who prepared it, a logo and an accent colour, validated."""

from __future__ import annotations

import base64
import binascii
import functools
import io
import os
import re
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path

from questionnaires.errors import BrandingError

MAX_PREPARED_BY = 120
MAX_COMMENTARY = 2000
MAX_LOGO_BYTES = 2 * 1024 * 1024  # the file given
MAX_LOGO_PIXELS = 4000  # a side
MAX_CLEAN_LOGO_BYTES = 8 * 1024 * 1024  # the logo re-encoded as PNG, as it is stored and embedded
PNG = "image/png"
PNG_MODES = ("1", "L", "LA", "P", "RGB", "RGBA")
OPENED_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF")  # recognised to be named (a JPEG may be an MPO)
DEFAULT_COLOR = "#1f5f8b"
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Branding:
    """Who prepared the report, an optional PNG/JPEG logo and an accent colour; checked on creation."""

    prepared_by: str = ""
    color: str = DEFAULT_COLOR
    logo: bytes | None = field(default=None, repr=False)
    logo_name: str = "logo"
    commentary: str = ""  # the consultant's words for the executive summary
    logo_type: str | None = field(default=None, init=False)
    # Why a stored logo was left out (from_stored): one line for a page to show; empty when none was.
    logo_problem: str = field(default="", init=False, compare=False)

    def __post_init__(self) -> None:
        problems = []
        name = " ".join((self.prepared_by or "").split())
        if len(name) > MAX_PREPARED_BY:
            problems.append(f"prepared-by is {len(name)} characters long; use at most {MAX_PREPARED_BY}")
        commentary = (self.commentary or "").strip()
        if len(commentary) > MAX_COMMENTARY:
            problems.append(f"the commentary is {len(commentary)} characters long; use at most {MAX_COMMENTARY}")
        color = (self.color or DEFAULT_COLOR).strip()
        if not _COLOR.match(color):
            problems.append(f"colour {color!r} is not a hex colour; write it as #rrggbb, e.g. {DEFAULT_COLOR}")
        logo = self.logo
        if logo is not None:
            try:
                logo = clean_logo(logo, self.logo_name)
            except BrandingError as exc:
                problems.extend(exc.lines())
        if problems:
            raise BrandingError(problems)
        object.__setattr__(self, "prepared_by", name)
        object.__setattr__(self, "commentary", commentary)
        object.__setattr__(self, "color", color.lower())
        object.__setattr__(self, "logo", logo)
        object.__setattr__(self, "logo_type", PNG if logo is not None else None)

    def to_stored(self) -> dict:
        """The branding as kept in the database (JSON): the logo as base64."""
        return {"prepared_by": self.prepared_by, "color": self.color, "commentary": self.commentary,
                "logo": base64.b64encode(self.logo).decode("ascii") if self.logo is not None else None,
                "logo_name": self.logo_name}

    @classmethod
    def from_stored(cls, stored: dict | None) -> Branding:
        """The branding `to_stored` kept; none stored gives the default branding. A stored logo that no longer
        decodes is left out, never failing the page or the report: `logo_problem` then says why, in one line.
        (A stored colour or name that fails its check still raises BrandingError.)"""
        if not stored:
            return cls()
        texts = (stored.get("prepared_by") or "", stored.get("color") or DEFAULT_COLOR)
        name, commentary = stored.get("logo_name") or "logo", stored.get("commentary") or ""
        try:
            logo = stored_logo(stored.get("logo"), name)
        except BrandingError as exc:
            return cls._without_logo(texts, name, commentary, exc)
        return cls(*texts, logo, name, commentary)

    @classmethod
    def _without_logo(cls, texts: tuple[str, str], name: str, commentary: str, exc: BrandingError) -> Branding:
        branding = cls(*texts, None, name, commentary)
        problem = (f"The saved logo cannot be shown and is left out of the report ({' '.join(exc.lines())}). "
                   "Upload the logo again, or remove it.")
        object.__setattr__(branding, "logo_problem", problem)
        return branding

    def logo_uri(self) -> str | None:
        """The logo as a `data:` URI, so the renderer never fetches a file for it."""
        if self.logo is None:
            return None
        return f"data:{PNG};base64,{base64.b64encode(self.logo).decode('ascii')}"


def stored_logo(encoded, name: str = "logo") -> bytes | None:
    """A logo as `to_stored` kept it (base64), decoded and checked like a new one; BrandingError otherwise."""
    if not encoded:
        return None
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise BrandingError(f"{name}: the saved logo is damaged (not base64)") from None
    return clean_logo(data, name)


def check_logo(data: bytes, name: str = "logo") -> str:
    """The MIME type of a logo as it is kept (always PNG, see `clean_logo`); BrandingError when it is refused."""
    clean_logo(data, name)
    return PNG


def clean_logo(data: bytes, name: str = "logo") -> bytes:
    """A PNG or JPEG logo of at most 2 MB and 4000 pixels a side, fully decoded and re-encoded as PNG, so only
    pixels reach a report; BrandingError with one line saying what to fix otherwise."""
    if not data:
        raise BrandingError(f"{name}: the logo file is empty; use a PNG or JPEG file")
    if len(data) > MAX_LOGO_BYTES:
        raise BrandingError(f"{name}: logo is {len(data) / 1024 / 1024:.1f} MB; use a PNG or JPEG of at most 2 MB")
    return _reencoded(bytes(data), name)


@functools.lru_cache(maxsize=16)  # the same stored logo is read on every run of a page
def _reencoded(data: bytes, name: str) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.init()  # every plugin registered, so an MPO or a GIF is named; only the decoders below are ever tried
    try:
        image = Image.open(io.BytesIO(data), formats=OPENED_FORMATS)
    except Image.DecompressionBombError:
        raise BrandingError(f"{name}: logo is far too large in pixels; use at most {MAX_LOGO_PIXELS} "
                            "pixels a side") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise BrandingError(f"{name}: not a readable image ({exc.__class__.__name__}); use a PNG or JPEG file") from None
    with image:
        _check_kind(image, name)
        try:
            _load_strictly(image)  # every pixel decoded: a truncated or damaged file fails here, not in a report
            image = ImageOps.exif_transpose(image)
            if image.mode not in PNG_MODES:
                image = image.convert("RGBA")
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", optimize=False)
        except Exception as exc:  # noqa: BLE001 - damaged pixel data raises whatever the decoder meets first
            raise BrandingError(f"{name}: the image data is damaged or cut short ({exc.__class__.__name__}); "
                                "save the logo again as a PNG or JPEG file") from None
    if buffer.tell() > MAX_CLEAN_LOGO_BYTES:
        raise BrandingError(f"{name}: logo holds too much detail ({buffer.tell() / 1024 / 1024:.1f} MB as PNG); "
                            "use a smaller or simpler image")
    return buffer.getvalue()


_strict_lock = threading.Lock()


def _load_strictly(image) -> None:
    """Decode every pixel, refusing a truncated file even though WeasyPrint, once imported, tells Pillow to accept
    them for the whole process (it only ever renders logos that passed here)."""
    from PIL import ImageFile

    with _strict_lock:
        accepting = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            image.load()
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = accepting


def _check_kind(image, name: str) -> None:
    if image.format == "MPO":
        raise BrandingError(f"{name}: logo is a multi-picture JPEG (MPO, as some cameras save); "
                            "save it as a plain PNG or JPEG file")
    if image.format not in LOGO_FORMATS:
        raise BrandingError(f"{name}: logo is a {image.format} image; use a PNG or JPEG file")
    width, height = image.size
    if max(width, height) > MAX_LOGO_PIXELS:
        raise BrandingError(f"{name}: logo is {width}×{height} pixels; use at most {MAX_LOGO_PIXELS} pixels a side")


def branding_from_files(prepared_by: str = "", color: str | None = None, logo_path: Path | None = None) -> Branding:
    """Branding from command-line inputs: a logo path is read (at most 2 MB of a regular file) and checked."""
    logo = read_logo(Path(logo_path)) if logo_path is not None else None
    return Branding(prepared_by or "", color or DEFAULT_COLOR, logo, Path(logo_path).name if logo_path else "logo")


def read_logo(path: Path) -> bytes:
    """A logo file's bytes, read only when it is a regular file of at most 2 MB (a device such as /dev/zero is
    refused unread); BrandingError otherwise."""
    try:
        with path.open("rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise BrandingError(f"{path.name}: the logo is not a regular file; give a PNG or JPEG file")
            data = handle.read(MAX_LOGO_BYTES + 1)
    except OSError as exc:
        raise BrandingError(f"{path.name}: cannot read the logo ({exc.strerror or exc}); check the path") from None
    if len(data) > MAX_LOGO_BYTES:
        raise BrandingError(f"{path.name}: logo is more than 2 MB; use a PNG or JPEG of at most 2 MB")
    return data
