/* Search ranking for the book (Sphinx's html_search_scorer). Sphinx scores a page whose section
   titles contain every word of the query above the page whose own title *is* the query, so a
   reader who types a chapter's title could get other chapters first. This scorer keeps
   Sphinx's weights and puts an exact match of a page title first.
   Checked by tests/site/test_site_interaction.py (search finds each chapter by its title). */
var Scorer = {
  score: (result) => {
    const [, title, anchor, , score] = result;
    const query = (new URLSearchParams(window.location.search).get("q") || "").toLowerCase().trim();
    const plain = title.replace(/<[^>]*>/g, "").replace(/^[\d.]+\s*/, "").toLowerCase().trim();
    return anchor === "" && query !== "" && plain === query ? score + 100 : score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
