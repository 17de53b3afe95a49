// placeholder: implemented in its module's issue
