"""Which documents hold a term, answered from memory: every distinct word of the folded texts
once, and for each word the sorted documents holding it.

Folded text has single spaces between words (normalize.fold), so a term without a space lies
inside one word: the documents holding the term are exactly those holding a word that contains
it, the same substring match the database's trigram index answers. The words are kept as one
string, so finding the words that contain a term is one scan of the vocabulary (a few MB even for
a large archive), not of the texts; a common word costs a slice of the postings, not a pass over
tens of thousands of rows. A term with a space (a quoted phrase) is not answered here."""
import re
from collections import defaultdict

import numpy as np

EMPTY = np.zeros(0, dtype=np.int32)


class TextIndex:
    def __init__(self, texts):
        words: dict[str, int] = defaultdict()
        words.default_factory = words.__len__  # a new word gets the next number
        word_ids: list[int] = []
        per_doc: list[int] = []
        for text in texts:
            split = text.split(" ")
            per_doc.append(len(split))
            word_ids.extend(map(words.__getitem__, split))
        word_of = np.asarray(word_ids, dtype=np.int32)
        doc_of = np.repeat(np.arange(len(per_doc), dtype=np.int32), per_doc)
        order = np.argsort(word_of, kind="stable")  # stable: each word's documents stay ascending
        word_of, doc_of = word_of[order], doc_of[order]
        first = np.ones(len(order), dtype=bool)  # a word twice in one document is posted once
        first[1:] = (word_of[1:] != word_of[:-1]) | (doc_of[1:] != doc_of[:-1])
        self.postings = doc_of[first]
        self.starts = np.searchsorted(word_of[first], np.arange(len(words) + 1)).astype(np.int64)
        self.vocabulary = "\n".join(words) + "\n"  # folded text holds no newline
        lengths = np.fromiter((len(w) + 1 for w in words), dtype=np.int64, count=len(words))
        self.word_at = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        self.size = len(per_doc)

    @staticmethod
    def answers(term: str) -> bool:
        return bool(term) and " " not in term and "\n" not in term

    def documents_with(self, term: str) -> np.ndarray:
        """Sorted indices of the documents whose text contains ``term``."""
        if not self.answers(term):
            raise ValueError("a term with a space is matched by the database")
        found = [m.start() for m in re.finditer(re.escape(term), self.vocabulary)]
        if not found:
            return EMPTY
        word_ids = np.unique(np.searchsorted(self.word_at, np.asarray(found, dtype=np.int64), side="right") - 1)
        if len(word_ids) == 1:
            return self.postings[self.starts[word_ids[0]]:self.starts[word_ids[0] + 1]]
        return np.unique(np.concatenate([self.postings[self.starts[w]:self.starts[w + 1]] for w in word_ids]))
