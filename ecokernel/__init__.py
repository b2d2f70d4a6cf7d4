"""The kernel both flows stand on, knowing nothing of the law, forms or documents: Chinese
administrative formats (人民币大写, GB/T 9704 dates, 〔〕/（） numbers), the working-day calendar,
identifier check characters, safe YAML/JSON data files, user errors, the clock ("today")."""
