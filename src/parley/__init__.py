"""parley: the diplomatic record of news articles."""
__version__ = "0.1.0"
