// newsdesk: small enhancements only; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // On an article page, a button that hides or shows the marks in the text.
  var text = document.getElementById("text");
  var legend = document.getElementById("legend");
  if (text && legend) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "marks-toggle";
    button.setAttribute("aria-pressed", "false");
    button.textContent = "Hide marks";
    button.addEventListener("click", function () {
      var plain = text.classList.toggle("plain");
      button.setAttribute("aria-pressed", plain ? "true" : "false");
      button.textContent = plain ? "Show marks" : "Hide marks";
    });
    legend.parentNode.insertBefore(button, legend.nextSibling);
  }
  // A link to #removed opens the removed segments.
  if (location.hash === "#removed") {
    var d = document.getElementById("removed");
    if (d) { d.open = true; }
  }
});
