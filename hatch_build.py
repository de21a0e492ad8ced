"""Build hook: the distribution's runtime dependencies are requirements.txt's pins, read here, so the app's
environment (``make run``) and ``pip install servicegap`` never disagree."""

from __future__ import annotations

from pathlib import Path

from hatchling.metadata.plugin.interface import MetadataHookInterface


def pinned(text: str) -> list[str]:
    """The requirement lines of a requirements file: no comments, no options, no blank lines."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("-")]


class CustomMetadataHook(MetadataHookInterface):
    def update(self, metadata: dict) -> None:
        metadata["dependencies"] = pinned(Path(self.root, "requirements.txt").read_text(encoding="utf-8"))
