"""Demo data for the embedded deployment (`hotline demo`): see `hotline.demo.build`."""
