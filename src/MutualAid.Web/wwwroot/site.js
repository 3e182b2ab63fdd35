// The pages' only script (the Content-Security-Policy allows no inline handler): a button with
// data-print prints that part of the page alone (site.css hides the rest while printing); a printed
// document's 打印 button (data-print-page) prints its whole page.
document.addEventListener("click", event => {
    const button = event.target.closest("button[data-print]");
    if (button) {
        document.body.dataset.print = button.dataset.print;
        window.print();
    } else if (event.target.closest("button[data-print-page]")) {
        window.print();
    }
});
