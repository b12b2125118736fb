-- categories: the curated taxonomy (assets/topics/taxonomy.yaml), from the registered Arrow table
-- taxonomy_categories(category_id, name, description, taxonomy_version).
SELECT category_id, name, description, taxonomy_version
FROM taxonomy_categories
ORDER BY category_id
