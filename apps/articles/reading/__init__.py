"""How an article's text becomes the page it is read on, one module per step, in order:

1. `text`: the canonical text. Every body is normalised once, at import (NFC, `\\n`
   line ends, no control characters, one blank line between paragraphs); every quote
   offset points into it.
2. `segments`: the text cut at every span boundary, each piece listing the spans over
   it, since quotes nest and overlap.
3. `highlighting`: those pieces as HTML, paragraph by paragraph, with highlights,
   badges and the checked passage; its text content is exactly the body.
4. apps/quotes/reading.py: the reading of one article with its quotes (speaker
   groups, colours, legend, side panel) built on step 3. It lives in quotes because it
   reads quotes and speakers, and articles import nothing from the layers above.

Steps 1 to 3 are pure functions of the text, with no database.
"""
