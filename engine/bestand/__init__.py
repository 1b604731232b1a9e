"""Population what-if (`regelwerk wirkung`): the levy over a whole caseload under the law of one year versus
another, from the same YAML rules and dated parameters, evaluated on NumPy columns with exact integers.

A tool package: the core never imports it. `spalten` reads a caseload into columns, `vektor` evaluates the
rules' formulas on them, `rechnung` applies the rules of a year (and sends what it does not cover to the rule
engine), `bericht` compares two sides and renders the German table and chart.
"""
