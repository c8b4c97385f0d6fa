"""Consultant branding for reports: who prepared it, a logo and an accent colour, validated."""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from questionnaires.errors import BrandingError

MAX_PREPARED_BY = 120
MAX_COMMENTARY = 2000
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 4000
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
        logo_type = None
        if self.logo is not None:
            try:
                logo_type = check_logo(self.logo, self.logo_name)
            except BrandingError as exc:
                problems.extend(exc.lines())
        if problems:
            raise BrandingError(problems)
        object.__setattr__(self, "prepared_by", name)
        object.__setattr__(self, "commentary", commentary)
        object.__setattr__(self, "color", color.lower())
        object.__setattr__(self, "logo_type", logo_type)

    def to_stored(self) -> dict:
        """The branding as kept in the database (JSON): the logo as base64."""
        return {"prepared_by": self.prepared_by, "color": self.color, "commentary": self.commentary,
                "logo": base64.b64encode(self.logo).decode("ascii") if self.logo is not None else None,
                "logo_name": self.logo_name}

    @classmethod
    def from_stored(cls, stored: dict | None) -> Branding:
        """The branding `to_stored` kept; none stored gives the default branding."""
        if not stored:
            return cls()
        logo = stored.get("logo")
        return cls(stored.get("prepared_by") or "", stored.get("color") or DEFAULT_COLOR,
                   base64.b64decode(logo) if logo else None, stored.get("logo_name") or "logo",
                   stored.get("commentary") or "")

    def logo_uri(self) -> str | None:
        """The logo as a `data:` URI, so the renderer never fetches a file for it."""
        if self.logo is None:
            return None
        return f"data:{self.logo_type};base64,{base64.b64encode(self.logo).decode('ascii')}"


def check_logo(data: bytes, name: str = "logo") -> str:
    """The MIME type of a PNG or JPEG logo of at most 2 MB; BrandingError otherwise."""
    if len(data) > MAX_LOGO_BYTES:
        raise BrandingError(f"{name}: logo is {len(data) / 1024 / 1024:.1f} MB; use a PNG or JPEG of at most 2 MB")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, size = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise BrandingError(f"{name}: not a readable image ({exc.__class__.__name__}); use a PNG or JPEG file") from None
    if kind not in LOGO_FORMATS:
        raise BrandingError(f"{name}: logo is a {kind} image; use a PNG or JPEG file")
    if max(size) > MAX_LOGO_PIXELS:
        raise BrandingError(f"{name}: logo is {size[0]}×{size[1]} pixels; use at most {MAX_LOGO_PIXELS} pixels a side")
    return LOGO_FORMATS[kind]


def branding_from_files(prepared_by: str = "", color: str | None = None, logo_path: Path | None = None) -> Branding:
    """Branding from command-line inputs: a logo path is read and checked."""
    logo = None
    if logo_path is not None:
        path = Path(logo_path)
        try:
            size = path.stat().st_size
            if size > MAX_LOGO_BYTES:
                raise BrandingError(f"{path.name}: logo is {size / 1024 / 1024:.1f} MB; use a PNG or JPEG of at most 2 MB")
            logo = path.read_bytes()
        except OSError as exc:
            raise BrandingError(f"{path.name}: cannot read the logo ({exc.strerror or exc}); check the path") from None
    return Branding(prepared_by or "", color or DEFAULT_COLOR, logo, Path(logo_path).name if logo_path else "logo")
