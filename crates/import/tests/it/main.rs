mod csv_files;
mod fuzz;
mod spreadsheet;
