"""Finders and table passes: pipeline components that read span groups and write others.

Finders (:mod:`timex`, :mod:`places`) write every candidate they see to a span group; table
passes (:mod:`measures`, :mod:`targets`, :mod:`deadlines`, :mod:`areas`, :mod:`agencies`)
read candidates and structure and write one span per row of their table, with the row's
columns as ``span._.row_values``. They never write files and never call each other;
:mod:`planx.consumer` turns a Doc's rows into the contract's tables.
"""
