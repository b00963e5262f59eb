"""People on duty (Art. 8, 20, 27): leader answering days and unit heads' rotation, units' 24-hour rosters."""
