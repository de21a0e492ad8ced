"""Presenting results: chart builders, the story (slides, readings, actions, tables) and the exports
(pictures, workbook, deck, HTML). Imports the statistics below it, never the other way."""
