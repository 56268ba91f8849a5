"""Extraction: one report in, sourced and located claims out. One module per stage, in pipeline order:

  clean.py        text -> cleaned text, captions, removed boilerplate, dateline date
  nlp.py          paragraphs -> spaCy sentences, tokens and entities
  geoparse/       names, entities and cues -> places resolved in context, with precision and role
  claims.py       sentences -> claims: one per event predicate (clauses.py), each with its source
                  (attribution.py), ACLED typing (sitrep.extract.events), actors (actors.py), dates
                  (timeparse.py) and numbers (numbers.py)

``sitrep.pipeline.Pipeline`` runs them. Language-specific resources (lexicons, cue lists, time words)
live under ``lang/<code>/`` and are read through ``sitrep.extract.lang.resource``; language-neutral data
(the actor catalogue, the gazetteer's rules, speakers) stays in ``sitrep/data``.
"""
