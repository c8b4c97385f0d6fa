"""What the screens share: session state, widgets, charts, cookies, sign-in and the PDF workers."""
