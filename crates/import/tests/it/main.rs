mod csv_files;
mod fuzz;
mod limits;
mod spreadsheet;
