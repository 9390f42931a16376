"""The actions: edits and writes the user asks for — fixes, recording, scaffolding, a first card."""
