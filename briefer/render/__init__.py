"""Composing a memo into typed blocks, and one writer per output format."""
