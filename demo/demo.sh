#!/usr/bin/env bash
# make demo: defines, migrates and uses two entities on an embedded SQLite
# database (demo/demo.db, recreated each time).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f demo/demo.db
sqlite3 demo/demo.db < demo/demo.sql
echo
echo "== 6. the database enforces the definition for any writer (plain sqlite3, extension not loaded)"
for stmt in \
  "INSERT INTO books (author_id, title, price, genre) VALUES (1, 'Bad genre', '1.00', 'comic')" \
  "INSERT INTO books (author_id, title, price) VALUES (1, 'Bad price', '1.5')" \
  "INSERT INTO authors (name) VALUES ('$(printf 'x%.0s' $(seq 121))')"; do
  echo "sqlite> ${stmt:0:90}"
  if sqlite3 demo/demo.db "$stmt" 2>&1; then echo "(accepted?!)"; exit 1; fi
done
echo
sqlite3 demo/demo.db < demo/demo2.sql
echo
echo "The database is demo/demo.db; open it with: sqlite3 demo/demo.db"
