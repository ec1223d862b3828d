// Placeholder until the app shell lands; replaced by the MainWindow entry point.
int main() { return 0; }
