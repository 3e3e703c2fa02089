// Placeholder for the cluster demo (issue: the main job). It fails loudly instead of pretending.
console.error("The cluster demo has not landed yet: see the open issue for the main job.");
process.exit(1);
