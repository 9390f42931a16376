"""Settings from the client: initialization options, then `workspace/configuration`.

Bad values never stop the server: each field falls back to its default.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator

log = logging.getLogger(__name__)
LEVELS = {"error", "warning", "info", "hint", "off"}


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")
    severity: dict[str, str] = {}
    lintOnChange: bool = True
    logLevel: Literal["error", "warning", "info", "debug"] = "info"

    @field_validator("severity", mode="before")
    @classmethod
    def _known_levels(cls, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            return {}
        return {str(code).upper(): str(level).lower() for code, level in value.items() if str(level).lower() in LEVELS}


def parse_settings(raw: Any) -> Settings:
    if not isinstance(raw, dict):
        return Settings()
    raw = raw.get("settings", raw)
    if not isinstance(raw, dict):
        return Settings()
    clean: dict[str, Any] = {}
    for name in Settings.model_fields:
        if name in raw:
            try:
                Settings.model_validate({name: raw[name]})
                clean[name] = raw[name]
            except Exception:  # noqa: BLE001 - one bad value keeps its default
                log.warning("ignoring invalid setting paribus.%s = %r", name, raw[name])
    return Settings.model_validate(clean)
