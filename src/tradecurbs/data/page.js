// Filter the rows of a table by the words typed in the search box that names it (data-table).
// index.html?q=words opens the page with the events already filtered (a link to a search).
document.querySelectorAll("input[data-table]").forEach(function (box) {
  var table = document.getElementById(box.getAttribute("data-table"));
  var count = document.getElementById(box.getAttribute("data-count"));
  function filter() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var keep = words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    if (count) { count.textContent = shown; }
  }
  box.addEventListener("input", filter);
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) { box.value = query; filter(); }
});
