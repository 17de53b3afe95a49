// Scenario tests over the shipped formulary/ files (clinical.md G #1-#6).
