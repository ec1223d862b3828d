namespace locallab {}
