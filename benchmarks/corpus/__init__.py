"""Pieces of the synthetic corpus: vocabulary, event sentences, ordinary prose, page layouts."""
