"""DânVận — nền tảng số cho công tác dân vận chính quyền."""

__version__ = "0.1.0"
